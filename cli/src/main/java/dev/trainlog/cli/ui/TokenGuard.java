package dev.trainlog.cli.ui;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Lets a request through only with the token: {@code Authorization: Bearer T}, or the cookie a page
 * got by opening a URL with {@code ?token=T} once. The comparison takes the same time for any wrong token.
 */
final class TokenGuard {

  /** The cookie a page keeps the token in: {@value}. */
  static final String COOKIE = "trainlog_token";

  private final byte[] token;

  TokenGuard(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** A random token of 128 bits, for a non-loopback bind given none. */
  static String generate() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Whether {@code ctx} carries the token; a valid {@code ?token=} also sets the cookie. */
  boolean admits(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null && header.startsWith("Bearer ") && matches(header.substring("Bearer ".length()).trim())) {
      return true;
    }
    if (matches(ctx.cookie(COOKIE))) {
      return true;
    }
    String query = ctx.queryParam("token");
    if (matches(query)) {
      ctx.cookie(new Cookie(COOKIE, query, "/", -1, false, 0, true, null, null, SameSite.STRICT));
      return true;
    }
    return false;
  }

  private boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
  }
}
