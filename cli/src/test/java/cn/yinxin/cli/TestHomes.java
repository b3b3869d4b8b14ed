package cn.yinxin.cli;

import cn.yinxin.testing.TempFolders;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The YINXIN_HOME of an integration test, removed once its services are down: PostgreSQL's data, the keystores and
 * Keycloak unpacked into it take 100-300 MB a run, and every run of the suite left them in /tmp.
 */
final class TestHomes {

    private TestHomes() {
    }

    /** Deletes {@code home} with everything in it, when {@code down} (the exit of {@code yinxin down}) is 0. */
    static void removeWhenDown(Path home, int down) throws IOException {
        if (down != 0 || home == null) {
            return; // a service may still write there; left for a look
        }
        TempFolders.delete(home);
    }
}
