// The browser's ways with files, for browser mode's Bridge: a file picker made on demand (its
// change or cancel answers), and a download through a temporary object URL.
import type { FileLike } from '../../electron/bridge'

/** Asks for one file; null when the person cancels. Call it from a user gesture. */
export function pickFile(accept: string): Promise<FileLike | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = accept
    input.style.display = 'none'
    input.dataset.testid = 'open-file-input'
    const done = (file: FileLike | null): void => {
      input.remove()
      resolve(file)
    }
    input.addEventListener('change', () => done(input.files?.[0] ?? null), { once: true })
    input.addEventListener('cancel', () => done(null), { once: true })
    document.body.append(input)
    input.click()
  })
}

/** Saves a Blob as a file through the browser's download (a temporary object URL). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.style.display = 'none'
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export function download(bytes: Uint8Array, fileName: string, type: string): void {
  // A copy into a plain ArrayBuffer: Blob takes no views of shared memory.
  downloadBlob(new Blob([bytes.slice()], { type }), fileName)
}

export function downloadText(text: string, fileName: string, type = 'text/csv'): void {
  downloadBlob(new Blob([text], { type }), fileName)
}
