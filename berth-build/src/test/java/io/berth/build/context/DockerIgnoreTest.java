package io.berth.build.context;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DockerIgnoreTest {

    @Test
    void documentedExample() {
        // The example from Docker's .dockerignore documentation.
        DockerIgnore ignore = DockerIgnore.parse("""
                # comment
                */temp*
                */*/temp*
                temp?
                """);
        assertThat(ignore.excluded("somedir/temporary.txt")).isTrue();
        assertThat(ignore.excluded("somedir/temp")).isTrue();
        assertThat(ignore.excluded("somedir/subdir/temporary.txt")).isTrue();
        assertThat(ignore.excluded("tempa")).isTrue();
        assertThat(ignore.excluded("tempb")).isTrue();
        assertThat(ignore.excluded("temp")).isFalse();
        assertThat(ignore.excluded("temporary.txt")).isFalse();
        assertThat(ignore.excluded("a/b/c/temp")).isFalse();
        assertThat(ignore.excluded("# comment")).isFalse();
    }

    @Test
    void doubleStarMatchesAnyNumberOfDirectories() {
        DockerIgnore ignore = DockerIgnore.parse("**/*.go\n");
        assertThat(ignore.excluded("main.go")).isTrue();
        assertThat(ignore.excluded("cmd/app/main.go")).isTrue();
        assertThat(ignore.excluded("main.go.txt")).isFalse();
        DockerIgnore middle = DockerIgnore.parse("a/**/b\n");
        assertThat(middle.excluded("a/b")).isTrue();
        assertThat(middle.excluded("a/x/y/b")).isTrue();
        assertThat(middle.excluded("a/x/y/b/file")).isTrue();
        assertThat(middle.excluded("c/a/b")).isFalse();
        assertThat(DockerIgnore.parse("logs/**\n").excluded("logs/a/b.log")).isTrue();
    }

    @Test
    void exceptionsAndLastMatchWins() {
        DockerIgnore ignore = DockerIgnore.parse("*.md\n!README.md\n");
        assertThat(ignore.excluded("CHANGES.md")).isTrue();
        assertThat(ignore.excluded("README.md")).isFalse();
        assertThat(ignore.excluded("docs/x.md")).isFalse();

        DockerIgnore docs = DockerIgnore.parse("*.md\n!README*.md\nREADME-secret.md\n");
        assertThat(docs.excluded("README-public.md")).isFalse();
        assertThat(docs.excluded("README-secret.md")).isTrue();
        assertThat(docs.excluded("other.md")).isTrue();

        DockerIgnore reversed = DockerIgnore.parse("!README.md\n*.md\n");
        assertThat(reversed.excluded("README.md")).isTrue();
    }

    @Test
    void excludedDirectoryExcludesChildrenUnlessReIncluded() {
        DockerIgnore ignore = DockerIgnore.parse("node_modules\nbuild/\n!build/keep\n");
        assertThat(ignore.excluded("node_modules")).isTrue();
        assertThat(ignore.excluded("node_modules/a/index.js")).isTrue();
        assertThat(ignore.mayIncludeBelow("node_modules")).isFalse();
        assertThat(ignore.excluded("build/out.o")).isTrue();
        assertThat(ignore.excluded("build/keep")).isFalse();
        assertThat(ignore.excluded("build/keep/deep/file")).isFalse();
        assertThat(ignore.mayIncludeBelow("build")).isTrue();
        assertThat(ignore.mayIncludeBelow("build/other")).isFalse();
        assertThat(ignore.mayIncludeBelow("src")).isTrue();
        assertThat(DockerIgnore.parse("vendor\n!**/LICENSE\n").mayIncludeBelow("vendor/x")).isTrue();
    }

    @Test
    void patternsAndPathsAreCleaned() {
        DockerIgnore ignore = DockerIgnore.parse("/secret.txt\n./tmp//cache/\n  spaced.txt  \n");
        assertThat(ignore.patterns()).containsExactly("secret.txt", "tmp/cache", "spaced.txt");
        assertThat(ignore.excluded("secret.txt")).isTrue();
        assertThat(ignore.excluded("./secret.txt")).isTrue();
        assertThat(ignore.excluded("tmp/cache/x")).isTrue();
        assertThat(ignore.excluded("spaced.txt")).isTrue();
        assertThat(ignore.excluded("a/secret.txt")).isFalse();
        assertThat(ignore.excluded(".")).isFalse();
    }

    @Test
    void characterClassesAndEscapes() {
        DockerIgnore ignore = DockerIgnore.parse("file[0-9].txt\nx[^a]\nlit\\*star\n");
        assertThat(ignore.excluded("file5.txt")).isTrue();
        assertThat(ignore.excluded("filex.txt")).isFalse();
        assertThat(ignore.excluded("xb")).isTrue();
        assertThat(ignore.excluded("xa")).isFalse();
        assertThat(ignore.excluded("lit*star")).isTrue();
        assertThat(ignore.excluded("litXstar")).isFalse();
        assertThat(DockerIgnore.parse("a?b\n").excluded("a/b")).isFalse();
        assertThat(DockerIgnore.parse("a*b\n").excluded("a/b")).isFalse();
        assertThat(DockerIgnore.parse("a.b\n").excluded("axb")).isFalse();
    }
}
