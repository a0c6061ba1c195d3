// A project file dropped anywhere on the window opens it (asking about unsaved changes first).
// Only drags that carry files are taken: the palette's layer drags stay the canvas's.
export function useProjectDrop(open: (file: File) => void): {
  onDragOver: (e: DragEvent) => void
  onDrop: (e: DragEvent) => void
} {
  const hasFiles = (e: DragEvent): boolean => e.dataTransfer?.types.includes('Files') === true
  return {
    onDragOver: (e) => {
      if (e.defaultPrevented || !hasFiles(e) || !e.dataTransfer) return
      e.preventDefault()
      e.dataTransfer.dropEffect = 'copy'
    },
    onDrop: (e) => {
      if (e.defaultPrevented || !hasFiles(e)) return
      e.preventDefault()
      const file = e.dataTransfer?.files[0]
      if (file && /\.(dendrite|json)$/i.test(file.name)) open(file)
    },
  }
}
