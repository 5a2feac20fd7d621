FROM debian:bookworm
RUN <<EOF
apt-get update
apt-get install -y curl
EOF
RUN <<-'SCRIPT' bash
	echo "$HOME is not expanded by the builder"
		echo indented
	SCRIPT
RUN cat <<A > /a.txt && cat <<"B" > /b.txt
first $X
A
second $X
B
COPY <<EOF /etc/motd
Welcome
EOF
COPY --chmod=0600 <<KEY <<CERT /etc/tls/
key-data
KEY
cert-data
CERT
RUN echo "no heredoc in a string: a<<b"
