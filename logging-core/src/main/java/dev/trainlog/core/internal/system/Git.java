package dev.trainlog.core.internal.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The state of the git repository around a directory, read by running {@code git} with a timeout. */
final class Git {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  /** {@code user:password@} or {@code token@} in an http(s) remote: never recorded. */
  private static final Pattern URL_CREDENTIALS = Pattern.compile("(?i)^(https?://)[^/@]*@");

  private Git() {}

  /** Adds {@code git_*} keys to {@code out}: commit, branch, dirty, remote; or {@code git} saying why there are none. */
  static void describe(Path dir, Map<String, String> out) {
    Optional<String> top = git(dir, "rev-parse", "--show-toplevel");
    if (top.isEmpty()) {
      out.put("git", "no git repository at " + dir + " (or git not installed)");
      return;
    }
    Optional<String> commit = git(dir, "rev-parse", "HEAD");
    if (commit.isEmpty()) {
      out.put("git", "a git repository without commits at " + top.get());
      return;
    }
    out.put("git_commit", commit.get());
    String branch = git(dir, "symbolic-ref", "--short", "-q", "HEAD").orElse("");
    out.put("git_branch", branch.isEmpty() ? "(detached HEAD)" : branch);
    git(dir, "status", "--porcelain", "--untracked-files=no")
        .ifPresent(s -> out.put("git_dirty", Boolean.toString(!s.isEmpty())));
    git(dir, "config", "--get", "remote.origin.url").filter(s -> !s.isEmpty())
        .ifPresent(url -> out.put("git_remote", stripCredentials(url)));
  }

  static String stripCredentials(String url) {
    return URL_CREDENTIALS.matcher(url).replaceFirst("$1");
  }

  /** The trimmed output of a successful {@code git} command, or empty. */
  private static Optional<String> git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    return ShortProcess.run(command, Map.of("GIT_TERMINAL_PROMPT", "0"), TIMEOUT).map(String::trim);
  }
}
