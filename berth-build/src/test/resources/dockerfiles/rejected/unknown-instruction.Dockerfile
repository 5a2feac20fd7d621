FROM alpine
RUN echo ok
FROBNICATE the build
