// The host the studio runs in (desktop or browser), provided to components that need the
// machine: files, dialogs, settings. Components inject it; they never pick it themselves.
import type { InjectionKey } from 'vue'
import type { Platform } from './platform/platform'

export const platformKey: InjectionKey<Platform> = Symbol('platform')
