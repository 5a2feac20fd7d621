package io.berth.compose;

/** The labels Docker Compose puts on what it creates; berth compose writes and reads the same ones. */
final class Labels {
    static final String PROJECT = "com.docker.compose.project";
    static final String SERVICE = "com.docker.compose.service";
    static final String NUMBER = "com.docker.compose.container-number";
    static final String ONEOFF = "com.docker.compose.oneoff";
    static final String WORKING_DIR = "com.docker.compose.project.working_dir";
    static final String CONFIG_FILES = "com.docker.compose.project.config_files";
    static final String CONFIG_HASH = "com.docker.compose.config-hash";
    static final String VERSION = "com.docker.compose.version";
    static final String DEPENDS_ON = "com.docker.compose.depends_on";
    static final String IMAGE = "com.docker.compose.image";
    static final String NETWORK = "com.docker.compose.network";
    static final String VOLUME = "com.docker.compose.volume";
    static final String REPLACE = "com.docker.compose.replace";

    /** The Compose version berth compose says it implements (labels, {@code version}). */
    static final String COMPOSE_VERSION = "2.40.3";

    private Labels() {}
}
