package dev.satellite.actor;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The failure codes an actor's reply failures carry ({@link ReplyFailure#RECIPIENT_FAILURE}), so callers
 * can tell a crashed recipient from a full mailbox from an application error. Codes 400-599 are the
 * actor's own answer, meant as the HTTP status a gateway should give.
 */
public final class ActorFailures {

  private ActorFailures() {
  }

  /** The instance handling the message crashed (the message may or may not have been worked on). */
  public static final int CRASHED = -100;
  /** The instance's mailbox is full: back-pressure, try later or elsewhere. */
  public static final int MAILBOX_FULL = -101;
  /** The message's deadline passed before the actor started work on it. */
  public static final int DEADLINE = -102;
  /** The instance stopped answering and was replaced. */
  public static final int UNRESPONSIVE = -103;
  /** The instance is stopping (undeployed) and will not work on the message. */
  public static final int STOPPING = -104;
  /**
   * The node the message went to died, froze or became unreachable before answering (the message may or may not
   * have been worked on): failed at once rather than left to its timeout.
   */
  public static final int NODE_LOST = -105;
  /**
   * The message reached an instance that had already crashed or stopped (it was on its way when the instance went):
   * it was not worked on, so sending it again — to another instance — is safe, and it says nothing new about the
   * actor's health (the crash itself was reported once, by the message that caused it).
   */
  public static final int GONE = -106;
  /** The body cannot be read as the type the actor takes (or a header is malformed): the caller's mistake. */
  public static final int BAD_REQUEST = 400;
  /** The body's media type can never be the type the actor takes (an image sent to a JSON actor). */
  public static final int UNSUPPORTED_MEDIA_TYPE = 415;
  /** The actor's handler failed without naming a status. */
  public static final int APPLICATION = 500;

  public static boolean is(Throwable t, int code) {
    return t instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == code;
  }

  /** A short label for metrics and logs. */
  public static String label(int code) {
    return switch (code) {
      case CRASHED -> "recipient_crashed";
      case MAILBOX_FULL -> "mailbox_full";
      case DEADLINE -> "deadline";
      case UNRESPONSIVE -> "unresponsive";
      case STOPPING -> "stopping";
      case NODE_LOST -> "node_lost";
      case GONE -> "instance_gone";
      default -> code >= 400 && code < 500 ? "client_error" : "application";
    };
  }
}
