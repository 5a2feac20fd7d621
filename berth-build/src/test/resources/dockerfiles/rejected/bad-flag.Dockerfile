FROM alpine
COPY --chown=app --owner=x a /b
