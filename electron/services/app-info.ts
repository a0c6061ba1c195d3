// The studio's name and version, read from package.json once; the same answer on both hosts.
import { readFileSync } from 'node:fs'
import type { AppInfo, PlatformKind } from '../bridge'

interface PackageJson {
  productName?: unknown
  version?: unknown
}

export function readAppInfo(packageJsonPath: string, platform: PlatformKind): AppInfo {
  const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as PackageJson
  return {
    name: typeof pkg.productName === 'string' ? pkg.productName : 'Dendrite',
    version: typeof pkg.version === 'string' ? pkg.version : '0.0.0',
    platform,
    os: process.platform,
  }
}
