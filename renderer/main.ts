// Studio entry: picks the host (Electron's preload bridge, or browser mode over HTTP with the
// engine in a Worker), connects to the engine over its port, and mounts the studio.
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { platformKey } from './host'
import { browserPlatform } from './platform/browser'
import { desktopPlatform } from './platform/desktop'
import type { Platform } from './platform/platform'
import { useEngineStore } from './stores/engine'
import './styles/theme.css'

function pickPlatform(): Platform {
  const bridge = window.dendrite
  return bridge ? desktopPlatform(bridge) : browserPlatform()
}

const platform = pickPlatform()
const pinia = createPinia()
const app = createApp(App)
app.use(pinia)
app.provide(platformKey, platform)
// The window shows at once; the status bar says "Starting engine…" until hello answers.
void useEngineStore(pinia).connect(platform.enginePort)
app.mount('#app')
