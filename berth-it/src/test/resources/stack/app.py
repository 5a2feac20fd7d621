# A counter kept in redis: GET / reads it, POST /hit increments it. The redis service is found by its name on
# the project's network.
import http.server

import redis

store = redis.Redis(host="redis", port=6379)


class Counter(http.server.BaseHTTPRequestHandler):
    def answer(self, hits):
        body = ("hits=%d\n" % hits).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.answer(int(store.get("hits") or 0))

    def do_POST(self):
        self.answer(store.incr("hits"))


print("web: listening on 8000")
http.server.ThreadingHTTPServer(("0.0.0.0", 8000), Counter).serve_forever()
