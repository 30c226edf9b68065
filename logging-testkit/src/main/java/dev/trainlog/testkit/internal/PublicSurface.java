package dev.trainlog.testkit.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The public types of one module outside its {@code .internal.} packages, read from its compiled classes,
 * and the check that they are exactly the ones listed as API and that none of them leaks an internal type
 * through a public or protected signature.
 */
public final class PublicSurface {

  private final String module;
  private final List<Class<?>> apiTypes;

  private PublicSurface(String module, List<Class<?>> apiTypes) {
    this.module = module;
    this.apiTypes = apiTypes;
  }

  /** The module (a classes directory or a jar) that {@code anchor} was loaded from. */
  public static PublicSurface ofModuleOf(Class<?> anchor) {
    Path location;
    try {
      location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the classes of " + anchor.getName(), e);
    }
    List<Class<?>> types = new ArrayList<>();
    for (String name : classNames(location)) {
      Class<?> type = load(name, anchor.getClassLoader());
      if (isVisible(type) && !isInternal(type)) {
        types.add(type);
      }
    }
    types.sort((a, b) -> a.getName().compareTo(b.getName()));
    return new PublicSurface(location.toString(), List.copyOf(types));
  }

  /** The fully qualified names of the API types, sorted. */
  public List<String> typeNames() {
    return apiTypes.stream().map(Class::getName).toList();
  }

  /**
   * Throws an {@link AssertionError} naming every type that is public outside an internal package but not
   * listed in the class path resource {@code expectedResource} (one name a line), and every listed type that
   * is no longer public there.
   */
  public void assertListedIn(String expectedResource) {
    Set<String> expected = readList(expectedResource);
    Set<String> actual = new TreeSet<>(typeNames());
    Set<String> added = new TreeSet<>(actual);
    added.removeAll(expected);
    Set<String> removed = new TreeSet<>(expected);
    removed.removeAll(actual);
    if (added.isEmpty() && removed.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder("the public surface of " + module + " differs from " + expectedResource);
    if (!added.isEmpty()) {
      sb.append("\n  public but not listed: ").append(String.join(", ", added))
          .append("\n    -> move it to an `.internal.` package (or make it package-private),"
              + " or add it to the list if it is meant as API");
    }
    if (!removed.isEmpty()) {
      sb.append("\n  listed but not public outside `.internal.`: ").append(String.join(", ", removed))
          .append("\n    -> remove it from the list");
    }
    throw new AssertionError(sb.toString());
  }

  /**
   * Throws an {@link AssertionError} naming every public or protected member, super type or nested type of
   * an API type whose signature mentions a type from an {@code .internal.} package.
   */
  public void assertNoInternalTypeInSignatures() {
    List<String> leaks = internalTypesInSignatures();
    if (!leaks.isEmpty()) {
      throw new AssertionError("API signatures of " + module + " mention internal types (make the member"
          + " non-public, or move the type out of `.internal.`):\n  " + String.join("\n  ", leaks));
    }
  }

  /** Each leak as {@code member: internal type}, e.g. {@code a.B#newSampler(): a.internal.S}. */
  public List<String> internalTypesInSignatures() {
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : apiTypes) {
      if (type.getGenericSuperclass() != null) {
        report(type.getName() + " extends", type.getGenericSuperclass(), leaks);
      }
      for (Type t : type.getGenericInterfaces()) {
        report(type.getName() + " implements", t, leaks);
      }
      for (Field f : type.getDeclaredFields()) {
        if (exposed(f)) {
          report(type.getName() + "#" + f.getName(), f.getGenericType(), leaks);
        }
      }
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        if (exposed(c)) {
          reportExecutable(type.getName() + "#<init>", c, leaks);
        }
      }
      for (Method m : type.getDeclaredMethods()) {
        if (exposed(m) && !m.isBridge()) {
          report(type.getName() + "#" + m.getName() + "()", m.getGenericReturnType(), leaks);
          reportExecutable(type.getName() + "#" + m.getName() + "()", m, leaks);
        }
      }
    }
    return leaks;
  }

  private static void reportExecutable(String where, Executable e, List<String> leaks) {
    for (Type t : e.getGenericParameterTypes()) {
      report(where, t, leaks);
    }
    for (Type t : e.getGenericExceptionTypes()) {
      report(where, t, leaks);
    }
    for (TypeVariable<?> v : e.getTypeParameters()) {
      report(where, v, leaks);
    }
  }

  private static boolean exposed(Member m) {
    int mod = m.getModifiers();
    return !m.isSynthetic() && (Modifier.isPublic(mod) || Modifier.isProtected(mod));
  }

  private static void report(String where, Type type, List<String> leaks) {
    Set<Class<?>> mentioned = new HashSet<>();
    collect(type, mentioned, new HashSet<>());
    mentioned.stream().filter(PublicSurface::isInternal).map(Class::getName).sorted()
        .forEach(name -> leaks.add(where + ": " + name));
  }

  /** Every class a generic type mentions, through arguments, bounds and array components. */
  private static void collect(Type type, Set<Class<?>> into, Set<Type> seen) {
    if (!seen.add(type)) {
      return;
    }
    if (type instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      into.add(c);
    } else if (type instanceof ParameterizedType p) {
      collect(p.getRawType(), into, seen);
      if (p.getOwnerType() != null) {
        collect(p.getOwnerType(), into, seen);
      }
      for (Type a : p.getActualTypeArguments()) {
        collect(a, into, seen);
      }
    } else if (type instanceof WildcardType w) {
      collectAll(List.of(w.getUpperBounds()), into, seen);
      collectAll(List.of(w.getLowerBounds()), into, seen);
    } else if (type instanceof GenericArrayType a) {
      collect(a.getGenericComponentType(), into, seen);
    } else if (type instanceof TypeVariable<?> v) {
      collectAll(List.of(v.getBounds()), into, seen);
    }
  }

  private static void collectAll(Collection<Type> types, Set<Class<?>> into, Set<Type> seen) {
    for (Type t : types) {
      collect(t, into, seen);
    }
  }

  private static boolean isInternal(Class<?> type) {
    String pkg = type.getPackageName();
    return pkg.endsWith(".internal") || pkg.contains(".internal.");
  }

  /** Public top-level types, and public or protected nested types all of whose enclosing types are visible. */
  private static boolean isVisible(Class<?> type) {
    if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
      return false;
    }
    int mod = type.getModifiers();
    if (type.getEnclosingClass() == null) {
      return Modifier.isPublic(mod);
    }
    return (Modifier.isPublic(mod) || Modifier.isProtected(mod)) && isVisible(type.getEnclosingClass());
  }

  private static List<String> classNames(Path location) {
    if (Files.isDirectory(location)) {
      return classNamesUnder(location);
    }
    try (FileSystem jar = FileSystems.newFileSystem(location)) {
      return classNamesUnder(jar.getPath("/"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + location, e);
    }
  }

  private static List<String> classNamesUnder(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files.map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
          .filter(n -> !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("cannot load " + name + " to check the public surface", e);
    }
  }

  private static Set<String> readList(String resource) {
    InputStream in = PublicSurface.class.getResourceAsStream(resource.startsWith("/") ? resource : "/" + resource);
    if (in == null) {
      throw new AssertionError("the expected public surface " + resource + " is not on the test class path");
    }
    Set<String> names = new TreeSet<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        String name = line.strip();
        if (!name.isEmpty() && !name.startsWith("#")) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
    return names;
  }
}
