# Build a Go binary in one stage, ship it in a small one.
ARG GO_VERSION=1.22
ARG RUNTIME_IMAGE=gcr.io/distroless/static

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS Build
ARG TARGETOS TARGETARCH
ARG GO_VERSION
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ./cmd/app

FROM build AS test
RUN go test ./...

FROM ${RUNTIME_IMAGE}
COPY --from=build /out/app /app
COPY --from=nginx:1.25 /etc/nginx/mime.types /etc/mime.types
USER 65532:65532
ENTRYPOINT ["/app"]
