import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step: rewrites the pre-Java-6 class files of the jars in a directory as Java 8 class files
 * with stack maps.
 * The JVM's AOT cache cannot hold old class files once they are linked, so picocli (compiled for
 * Java 5) would otherwise be read, parsed and verified from its jar on every CLI start (~20 ms).
 * Only the version and the stack maps change; the bytecode stays the same. Run with
 * {@code java ClassFileUpgrade.java DIR}; jars without old class files are left alone, so it can run
 * again over its own output.
 */
public final class ClassFileUpgrade {

    private static final int TARGET_MAJOR = ClassFile.JAVA_8_VERSION;

    public static void main(String[] args) throws IOException {
        try (Stream<Path> jars = Files.list(Path.of(args[0]))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                if (hasOldClasses(jar)) {
                    upgrade(jar);
                }
            }
        }
    }

    private static boolean hasOldClasses(Path jar) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (isOldClass(entry, in.readNBytes(8))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void upgrade(Path jar) throws IOException {
        Path upgraded = jar.resolveSibling(jar.getFileName() + ".upgraded");
        try (URLClassLoader jarLoader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            // Stack map frames need the supertypes of the jar's own classes as well as the JDK's.
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(jarLoader))));
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
                 ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(upgraded))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                    byte[] bytes = in.readAllBytes();
                    if (isOldClass(entry, bytes)) {
                        bytes = upgradeClass(classFile, bytes);
                    }
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    out.write(bytes);
                }
            }
        }
        Files.move(upgraded, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean isOldClass(ZipEntry entry, byte[] bytes) {
        if (!entry.getName().endsWith(".class") || entry.getName().startsWith("META-INF/") || bytes.length < 8) {
            return false;
        }
        int major = ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
        return major < ClassFile.JAVA_6_VERSION;
    }

    private static byte[] upgradeClass(ClassFile classFile, byte[] bytes) {
        ClassTransform version = (builder, element) -> {
            if (element instanceof ClassFileVersion) {
                builder.withVersion(TARGET_MAJOR, 0);
            } else {
                builder.with(element);
            }
        };
        // Passing every instruction through a builder makes the API emit the code anew, with stack maps.
        CodeTransform rebuild = (builder, element) -> builder.with(element);
        return classFile.transformClass(classFile.parse(bytes),
                version.andThen(ClassTransform.transformingMethodBodies(rebuild)));
    }
}
