package dev.trainlog.mongodb.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A service is started on the class path that holds this module, also where {@code java.class.path}
 * names only a launcher, as under Maven's {@code exec:java} (the README's main job), which loads the
 * application in a class loader of its own.
 */
class ServiceClassPathTest {

  @Test
  void aModuleLoadedByItsOwnClassLoaderStartsItsServiceOnThatLoadersClassPath() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Path.of(e).toUri().toURL());
    }
    String before = System.getProperty("java.class.path");
    try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      System.setProperty("java.class.path", "/usr/share/maven/boot/plexus-classworlds.jar");
      Class<?> c = Class.forName(ServiceProcess.class.getName(), true, isolated);
      Method classPath = c.getDeclaredMethod("classPath");
      classPath.setAccessible(true);
      List<String> entries = List.of(((String) classPath.invoke(null)).split(File.pathSeparator));

      String ownClasses = Path.of(ServiceProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
      assertThat(entries).contains(ownClasses).contains("/usr/share/maven/boot/plexus-classworlds.jar");
      assertThat(entries).hasSize(urls.size() + 1);
    } finally {
      System.setProperty("java.class.path", before);
    }
  }
}
