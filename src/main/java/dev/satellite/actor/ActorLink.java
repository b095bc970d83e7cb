package dev.satellite.actor;

/**
 * The one-way signal channel from an actor instance to its supervisor, like an Erlang link: the instance
 * reports that it crashed or stopped of its own accord; the supervisor decides what happens next.
 * Implementations hop to the supervisor's own event loop, so calling them from the actor's loop is safe.
 */
public interface ActorLink {

  /** A link to nobody: crashes of an unsupervised actor are only logged. */
  ActorLink NONE = new ActorLink() {
    @Override
    public void crashed(Crash crash) {
    }

    @Override
    public void stopped() {
    }
  };

  void crashed(Crash crash);

  /** The instance stopped normally (it asked to); only {@code permanent} children are restarted. */
  void stopped();
}
