package dev.satellite.actor;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a message body becomes the type an actor takes. An actor declares one body type ({@code JsonObject},
 * {@code JsonArray}, {@code Buffer}, {@code String}, or {@code Object} for any) and gets its bodies in that type
 * whatever form they travelled in: bytes are parsed as JSON for a JSON actor (a parse error, or an empty body, is
 * the caller's mistake: 400 with what is wrong), JSON is encoded for a bytes or text actor, bytes are decoded as
 * UTF-8 for a text actor. A body whose media type can never be JSON ({@code image/*}, {@code audio/*},
 * {@code video/*}, {@code font/*}, {@code model/*}, {@code multipart/*}) sent to a JSON actor is refused with 415.
 * What the caller reads never names an internal class.
 *
 * <p>Thread-safe: stateless.
 */
public final class BodyTypes {

  private static final Pattern SOURCE = Pattern.compile("\\s*at \\[Source: [^;\\]]*; (line: \\d+, column: \\d+)\\]");

  private BodyTypes() {
  }

  /** A body that cannot be turned into the wanted type; {@link #code()} is 400 or 415. */
  public static final class BadBody extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public BadBody(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  /**
   * {@code body} as {@code type}.
   *
   * @param contentType the media type the body came with, or null
   * @throws BadBody when there is no such conversion, or the body does not parse
   */
  public static Object convert(Object body, Class<?> type, String contentType) {
    if (body == null || type.isInstance(body)) {
      return body;
    }
    if (type == JsonObject.class || type == JsonArray.class) {
      if (cannotBeJson(contentType)) {
        throw new BadBody(ActorFailures.UNSUPPORTED_MEDIA_TYPE, "A body of type " + mediaType(contentType)
            + " cannot be JSON; this takes " + describe(type) + ".");
      }
      if (body instanceof Buffer bytes) {
        return type == JsonObject.class ? parseObject(bytes) : parseArray(bytes);
      }
      if (body instanceof String text) {
        return type == JsonObject.class ? parseObject(Buffer.buffer(text)) : parseArray(Buffer.buffer(text));
      }
    } else if (type == Buffer.class) {
      if (body instanceof JsonObject json) {
        return json.toBuffer();
      }
      if (body instanceof JsonArray json) {
        return json.toBuffer();
      }
      if (body instanceof String text) {
        return Buffer.buffer(text);
      }
    } else if (type == String.class) {
      if (body instanceof Buffer bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
      if (body instanceof JsonObject json) {
        return json.encode();
      }
      if (body instanceof JsonArray json) {
        return json.encode();
      }
    }
    throw new BadBody(ActorFailures.BAD_REQUEST, "This takes " + describe(type) + ", not " + describe(body.getClass()) + ".");
  }

  /** Parses a JSON object; an empty body or one that does not parse is a {@link BadBody} (400) saying why. */
  public static JsonObject parseObject(Buffer bytes) {
    if (bytes.length() == 0) {
      throw new BadBody(ActorFailures.BAD_REQUEST, "The body is empty; a JSON object is required.");
    }
    try {
      return new JsonObject(bytes);
    } catch (DecodeException e) {
      throw new BadBody(ActorFailures.BAD_REQUEST, "The body is not a JSON object: " + parseError(e));
    } catch (ClassCastException e) {
      throw new BadBody(ActorFailures.BAD_REQUEST, "The body is JSON but not an object; a JSON object is required.");
    }
  }

  private static JsonArray parseArray(Buffer bytes) {
    if (bytes.length() == 0) {
      throw new BadBody(ActorFailures.BAD_REQUEST, "The body is empty; a JSON array is required.");
    }
    try {
      return new JsonArray(bytes);
    } catch (DecodeException | ClassCastException e) {
      throw new BadBody(ActorFailures.BAD_REQUEST, "The body is not a JSON array: " + parseError(e));
    }
  }

  /**
   * What a JSON parser said, for a person: Jackson's message without Vert.x's prefix and without the name of the
   * stream class it read from, keeping the line and column.
   */
  public static String parseError(Exception e) {
    String msg = e.getMessage() == null ? "it does not parse" : e.getMessage();
    if (msg.startsWith("Failed to decode:")) {
      msg = msg.substring("Failed to decode:".length());
    }
    Matcher m = SOURCE.matcher(msg);
    msg = m.find() ? m.replaceFirst(" ($1)") : msg;
    msg = msg.replaceAll("\\s+", " ").trim();
    return msg.length() > 300 ? msg.substring(0, 300) + "…" : msg;
  }

  /** Whether a media type can never hold JSON. */
  public static boolean cannotBeJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String t = mediaType(contentType);
    return t.startsWith("image/") || t.startsWith("audio/") || t.startsWith("video/") || t.startsWith("font/")
        || t.startsWith("model/") || t.startsWith("multipart/");
  }

  /** Whether a media type declares JSON ({@code application/json} or {@code +json}). */
  public static boolean declaresJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String t = mediaType(contentType);
    return t.equals("application/json") || t.endsWith("+json");
  }

  /** The type/subtype of a {@code Content-Type} value, lower case, without parameters. */
  static String mediaType(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /** A body type as a person says it. */
  public static String describe(Class<?> type) {
    if (JsonObject.class.isAssignableFrom(type)) {
      return "a JSON object";
    }
    if (JsonArray.class.isAssignableFrom(type)) {
      return "a JSON array";
    }
    if (Buffer.class.isAssignableFrom(type)) {
      return "bytes";
    }
    if (CharSequence.class.isAssignableFrom(type)) {
      return "text";
    }
    if (Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type == Boolean.class) {
      return "true or false";
    }
    return "a " + type.getSimpleName();
  }
}
