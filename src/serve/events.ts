/** Live events for open pages: every subscriber (one per EventSource) hears every event, numbered in order. */
export type Listener = (event: string, data: string, id: number) => void;

export class EventHub {
  private readonly listeners = new Set<Listener>();
  private next = 1;

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  publish(event: string, payload: unknown): void {
    const data = JSON.stringify(payload);
    const id = this.next++;
    for (const l of this.listeners) l(event, data, id);
  }

  get size(): number {
    return this.listeners.size;
  }
}
