package cn.yinxin.verifier.trust.seals;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Logger;

/**
 * The last fetched seals on disk, so a verifier that starts offline still knows the seals, and knows how old that
 * knowledge is. Written whole to a temporary file and moved into place, so a crash leaves the old copy or the new.
 */
final class SealCache {

    /** Named as before the packages were split (issue 21): log searches and alerts look for this name. */
    private static final Logger log = Logger.getLogger("cn.yinxin.verifier.SealDirectory");

    private final Path file;

    /** @param file null: nothing is kept */
    SealCache(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The kept document, or null when there is none. */
    JsonObject read() throws IOException {
        return file != null && Files.isRegularFile(file) ? new JsonObject(Files.readString(file)) : null;
    }

    void write(JsonObject document) {
        if (file == null) {
            return;
        }
        try {
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, "seals", ".tmp");
            Files.writeString(temporary, document.encodePrettily());
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warning("The seal cache " + file + " could not be written: " + e.getMessage());
        }
    }
}
