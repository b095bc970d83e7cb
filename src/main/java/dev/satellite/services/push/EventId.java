package dev.satellite.services.push;

/**
 * The id of one message of a topic: {@code epoch:sequence}. The sequence is the message's place in the topic's
 * history; the epoch names that history, and changes when a history is lost and created afresh, so an id of a
 * lost history is never taken for one of the new. Immutable.
 *
 * @param epoch    the history's name (letters and digits)
 * @param sequence the message's sequence in that history, from 0 (-1: before the first, the id a reset leaves at the start)
 */
public record EventId(String epoch, long sequence) {

  @Override
  public String toString() {
    return epoch + ":" + sequence;
  }

  /** Parses {@code epoch:sequence}; null when {@code text} is not one. */
  public static EventId parse(String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1 || colon > 64) {
      return null;
    }
    String epoch = t.substring(0, colon);
    if (!epoch.chars().allMatch(Character::isLetterOrDigit)) {
      return null;
    }
    try {
      long sequence = Long.parseLong(t.substring(colon + 1));
      return sequence < -1 ? null : new EventId(epoch, sequence);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
