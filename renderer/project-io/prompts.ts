// What the project files ask and tell the person, as state that ProjectIo.vue draws: the one
// question about unsaved changes, the one message (a refused file, a failed save), and notices
// that stay until dismissed (a crash's recovery file, a restarted engine).
import { shallowRef } from 'vue'

export type Answer = 'save' | 'discard' | 'cancel'

export interface Question {
  readonly title: string
  readonly text: string
  readonly answer: (a: Answer) => void
}

export interface Message {
  readonly title: string
  readonly lines: readonly string[]
}

export interface NoticeAction {
  readonly label: string
  readonly run: () => void
}

export interface Notice {
  readonly id: number
  readonly tone: 'info' | 'warning'
  readonly text: string
  readonly actions: readonly NoticeAction[]
}

export function usePrompts() {
  const question = shallowRef<Question | null>(null)
  const message = shallowRef<Message | null>(null)
  const notices = shallowRef<readonly Notice[]>([])
  let nextId = 1

  /** Asks what to do with unsaved changes before `doing` ("opening another project"). */
  function ask(name: string, doing: string): Promise<Answer> {
    question.value?.answer('cancel')
    return new Promise((resolve) => {
      question.value = {
        title: `Save changes to ${name}?`,
        text: `Your changes will be lost if you don't save them before ${doing}.`,
        answer: (a) => {
          question.value = null
          resolve(a)
        },
      }
    })
  }

  function tell(title: string, lines: readonly string[]): void {
    message.value = { title, lines }
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id)
  }

  /** Shows a notice; its actions dismiss it after running. Returns its id. */
  function notify(
    tone: Notice['tone'],
    text: string,
    actions: readonly NoticeAction[] = [],
  ): number {
    const id = nextId++
    const wrapped = actions.map((a) => ({
      label: a.label,
      run: () => {
        dismiss(id)
        a.run()
      },
    }))
    notices.value = [...notices.value, { id, tone, text, actions: wrapped }]
    return id
  }

  return {
    question,
    message,
    notices,
    ask,
    tell,
    notify,
    dismiss,
    closeMessage: () => (message.value = null),
  }
}
