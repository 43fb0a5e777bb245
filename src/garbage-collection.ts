import { setFlagsFromString } from 'node:v8';

/**
 * Two settings of V8's garbage collector, for a server whose requests allocate much and keep little:
 * - The old generation grows to twice what the last full collection kept before the next one. V8 by itself
 *   chose about 1.1 here, since collecting this small heap is quick: under 100 checklists a second a full
 *   collection came every three seconds, and its concurrent marking took the CPU that PostgreSQL and the
 *   requests needed, so the slow requests came in clusters around it.
 * - No allocation-site pretenuring. Under 200 concurrent requests most of a request's objects outlive a
 *   young-generation collection, so V8 learns to allocate them in the old generation from the start, and
 *   keeps doing so when the load falls: after such a load, a full collection came every five seconds.
 * Measured in bench/README.md, "Tenth round" (the service) and "Eleventh round" (the checklist benchmark's
 * baseline server, which uses them too, so that both servers collect garbage alike). The heap limit
 * (--max-old-space-size, `npm start` and the image) still caps the heap. V8's options are set here since
 * NODE_OPTIONS does not take them; one that a later V8 no longer knows is ignored, with a line on stderr.
 */
export function tuneGarbageCollection(): void {
  setFlagsFromString('--heap-growing-percent=100');
  setFlagsFromString('--no-allocation-site-pretenuring');
}
