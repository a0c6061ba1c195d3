// A GPU session's device, kept through one loss (a driver reset, a torn-down window). It
// watches the device in use; after a loss, told by the device or found when work on it fails,
// it builds the model on a new device from `newDevice`, has the session write its last good
// checkpoint there (weights, optimizer state and the batch order) and leaves a notice for the
// user. A second loss, or one while rebuilding, throws a DeviceLostError that carries that
// checkpoint, for the host to go on on the CPU. Callers at the same time share one recovery.
/// <reference types="@webgpu/types" />
import type { Attached } from './gpu-device'
import { lossText, lostReason } from './gpu-device'
import type { Checkpoint } from './session'

/** A second lost device: the session cannot go on, but its last checkpoint is on the host. */
export class DeviceLostError extends Error {
  constructor(
    message: string,
    readonly checkpoint: Checkpoint,
  ) {
    super(message)
  }
}

/** What a recovery needs of the session. */
export interface RecoveryHooks {
  /** A new device after a lost one (else a lost device ends the session). */
  readonly newDevice: (() => Promise<GPUDevice>) | undefined
  /** The model on a device (gpu-device.ts's attach). */
  readonly attach: (device: GPUDevice) => Promise<Attached>
  /** The last good checkpoint: where a new device starts, and what a DeviceLostError carries. */
  readonly lastGood: () => Checkpoint
  /**
   * Goes back to a checkpoint, writing it on the device in use (the new one, in a recovery);
   * while `lost`, it writes nothing: the device's buffers are gone, and the recovery writes it.
   */
  readonly restore: (checkpoint: Checkpoint) => void
}

export class KeptDevice {
  private attached: Attached
  /** Why the device in use was lost, once it says so (every operation then recovers first). */
  private lostNow: string | null = null
  private recovering: Promise<void> | null = null
  private losses = 0
  private notice: string | null = null

  constructor(
    attached: Attached,
    private readonly hooks: RecoveryHooks,
  ) {
    this.attached = attached
    this.watch()
  }

  /** The model on the device in use. */
  get on(): Attached {
    return this.attached
  }

  /** Whether the device in use has told of its loss (its buffers are then gone). */
  get lost(): boolean {
    return this.lostNow !== null
  }

  /** What the user should hear since the last call (a recovered device), once. */
  takeNotice(): string | null {
    const n = this.notice
    this.notice = null
    return n
  }

  /** Recovers first from a loss the device has told of. */
  async ready(): Promise<void> {
    if (this.lostNow !== null) await this.recover(this.lostNow)
  }

  /** Why the device in use is lost, after a failure that may be that loss; null if it is not. */
  async lossNow(): Promise<string | null> {
    return this.lostNow ?? (await lostReason(this.attached.exe.device))
  }

  /** The model on a new device, from the last good checkpoint (or a DeviceLostError). */
  recover(reason: string): Promise<void> {
    this.recovering ??= this.rebuild(reason).finally(() => (this.recovering = null))
    return this.recovering
  }

  /** `work` on a device that is not lost: after a loss, on the new one (or a DeviceLostError). */
  async onDevice<T>(work: () => Promise<T>): Promise<T> {
    await this.ready()
    try {
      return await work()
    } catch (err) {
      const reason = await this.lossNow()
      if (reason === null) throw err
      await this.recover(reason)
      return work()
    }
  }

  dispose(): void {
    this.attached.exe.dispose()
  }

  /** Notes the loss of the device in use; a device already replaced is no longer heard. */
  private watch(): void {
    const { exe } = this.attached
    void exe.device.lost.then((info) => {
      if (this.attached.exe === exe) this.lostNow = lossText(info)
    })
  }

  private async rebuild(reason: string): Promise<void> {
    const { newDevice, attach, lastGood, restore } = this.hooks
    this.losses++
    const where = `The GPU device was lost${this.losses > 1 ? ' again' : ''} (${reason})`
    if (newDevice === undefined || this.losses > 1) {
      throw new DeviceLostError(`${where}.`, lastGood())
    }
    this.attached.exe.dispose()
    try {
      this.attached = await attach(await newDevice())
      this.lostNow = null
      this.watch()
      restore(lastGood())
      await this.attached.exe.done()
    } catch (err) {
      this.losses++
      const why = err instanceof Error ? err.message : String(err)
      throw new DeviceLostError(`${where}, and no new device could take over (${why}).`, lastGood())
    }
    this.notice = `${where}; training resumed on a new device from the checkpoint at step ${lastGood().step}.`
  }
}
