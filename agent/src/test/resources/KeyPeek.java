import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run as another local user by KeyPrivacyIT (Java's source launcher, so that it needs no class path):
 * polls DIR's set folders and opens every key.pem it can, until DIR/stop appears. Prints the opens that succeeded
 * and how many polls it made.
 */
public class KeyPeek {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long polls = 0;
        long opened = 0;
        while (!Files.exists(dir.resolve("stop"))) {
            polls++;
            try (DirectoryStream<Path> sets = Files.newDirectoryStream(dir, "..?*")) {
                for (Path set : sets) {
                    try (InputStream in = Files.newInputStream(set.resolve("key.pem"))) {
                        opened++;
                        in.readAllBytes();
                    } catch (Exception refusedOrGone) {
                        // Permission denied, or the set was removed: nothing read.
                    }
                }
            } catch (Exception e) {
                // The listing itself refused or raced a removal.
            }
        }
        System.out.println("polls=" + polls + " opened=" + opened);
    }
}
