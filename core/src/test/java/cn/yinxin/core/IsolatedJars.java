package cn.yinxin.core;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another product's jars (ofdrw and the Bouncy Castle it was built for), which core's build copies into a folder of
 * their own, in a class loader whose parent is the platform's: nothing of ours or of our Bouncy Castle is seen from
 * it, so only bytes and JDK types cross.
 */
public final class IsolatedJars {

    private IsolatedJars() {
    }

    /** The jars of {@code folder} (under target/, made by the build), which must be {@code expected} in number. */
    public static URLClassLoader load(String folder, int expected) throws IOException {
        URL[] jars;
        try (Stream<Path> files = Files.list(Path.of("target", folder))) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).map(f -> {
                try {
                    return f.toUri().toURL();
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }).toArray(URL[]::new);
        }
        assertThat(jars).as("the jars core's build copies to target/" + folder).hasSize(expected);
        return new URLClassLoader(folder, jars, ClassLoader.getPlatformClassLoader());
    }
}
