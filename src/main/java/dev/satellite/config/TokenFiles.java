package dev.satellite.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The syntax of bearer tokens and of token files: a token is an RFC 6750 {@code b64token} (letters, digits,
 * {@code -._~+/}, then any {@code =}); a token file holds one per line, blank lines and {@code #} comments ignored
 * ({@code #} cannot be part of a token, so a comment may also follow a token on its line). Messages about a token
 * never quote it: they name its index or line.
 *
 * <p>Thread-safe: stateless.
 */
public final class TokenFiles {

  /** The largest token file read, in bytes: a token file is a short list, not a database. */
  public static final int MAX_BYTES = 1024 * 1024;
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

  private TokenFiles() {
  }

  /** The tokens of a file and the (1-based) numbers of the lines that hold something else. */
  public record Parsed(List<String> tokens, List<Integer> badLines) {
    public Parsed {
      tokens = List.copyOf(tokens);
      badLines = List.copyOf(badLines);
    }
  }

  public static boolean valid(String token) {
    return TOKEN.matcher(token).matches();
  }

  public static Parsed parse(String content) {
    List<String> tokens = new ArrayList<>();
    List<Integer> bad = new ArrayList<>();
    String text = content.startsWith("\uFEFF") ? content.substring(1) : content; // a byte-order mark some editors write
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int hash = line.indexOf('#');
      String token = (hash >= 0 ? line.substring(0, hash) : line).trim();
      if (token.isEmpty()) {
        continue;
      }
      if (valid(token)) {
        tokens.add(token);
      } else {
        bad.add(i + 1);
      }
    }
    return new Parsed(tokens, bad);
  }
}
