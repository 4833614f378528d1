// Lets code that queued a delivery ask the job queue to send it now (rather than at the next
// minute's run) without importing the queue (which imports most of the domain). Kept on
// globalThis: Next bundles instrumentation (which starts the queue) apart from the routes.
const shared = globalThis as unknown as { portcullisDeliveryWaker?: () => void };

export function setDeliveryWaker(fn: () => void): void {
  shared.portcullisDeliveryWaker = fn;
}

export function wakeDelivery(): void {
  shared.portcullisDeliveryWaker?.();
}
