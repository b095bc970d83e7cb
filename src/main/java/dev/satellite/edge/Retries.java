package dev.satellite.edge;

/**
 * Which failed attempts of an actor call may be sent again (within the route's attempts, the deadline and the retry
 * budget). A message refused before any work — no handler took it, or the mailbox was full — can always go again; one
 * whose node was lost while it was in flight may have been worked on already, so it goes again only when doing it
 * twice is harmless.
 */
public enum Retries {

  /** No retry: the caller forbids it (the gateway, for a request that is not idempotent). */
  NONE,
  /** Only attempts refused before any work (actor-to-actor calls: the caller's message may not be idempotent). */
  REFUSED,
  /** Also attempts whose node died or froze while they were in flight (idempotent requests). */
  REFUSED_OR_LOST
}
