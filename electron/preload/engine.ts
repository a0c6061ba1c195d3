// The hidden engine page's preload: relays the engine's port and exposes nothing else.
import { relayEnginePort } from './port-relay'

relayEnginePort()
