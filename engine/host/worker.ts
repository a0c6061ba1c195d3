// Browser mode's engine: a Web Worker running the same bootstrap as the hidden window.
import './entry'
