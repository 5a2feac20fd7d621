FROM alpine
HEALTHCHECK --interval=soon CMD true
