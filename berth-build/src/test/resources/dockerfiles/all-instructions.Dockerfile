# syntax=docker/dockerfile:1
# A service image that uses every instruction once or more.
ARG BASE_TAG=3.20
FROM alpine:${BASE_TAG}
MAINTAINER Jane Doe <jane@example.com>
LABEL org.opencontainers.image.title="demo app" version=1.0 "quoted key"=value
LABEL description This is the legacy form
ENV APP_HOME=/srv/app PATH="/srv/app/bin:$PATH"
ENV LEGACY_GREETING hello world
ARG USER_ID=1000 GROUP_ID
RUN addgroup -g ${GROUP_ID:-1000} app && adduser -D -u $USER_ID -G app app
RUN ["/bin/sh", "-c", "echo exec form"]
RUN --mount=type=cache,target=/var/cache/apk --mount=type=tmpfs,target=/tmp --network=none apk add curl
WORKDIR $APP_HOME
COPY --chown=app:app --chmod=0755 bin/ ./bin/
COPY --link=false etc/config.yaml /etc/app/
ADD --chown=1000:1000 https://example.com/archive.tar.gz /tmp/
ADD vendor.tar.gz /opt/vendor/
COPY ["file with spaces.txt", "/srv/app/docs/"]
EXPOSE 8080/tcp 8443 ${METRICS_PORT:-9100}/udp
VOLUME /data /logs
VOLUME ["/cache"]
USER app:app
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 CMD wget -qO- http://localhost:8080/health || exit 1
ONBUILD COPY . /srv/app/src
ONBUILD RUN make -C /srv/app/src
ENTRYPOINT ["/srv/app/bin/server"]
CMD ["--port", "8080"]
