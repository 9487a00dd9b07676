"""A real unix datagram socket standing in for systemd's NOTIFY_SOCKET: prints every message it gets as a JSON line
({"atMs", "message"}). Used by test/service/systemd.test.ts; Node itself cannot bind one."""
import json
import os
import socket
import sys
import time

path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
print(json.dumps({"listening": path}), flush=True)
while True:
    data = s.recv(4096)
    print(json.dumps({"atMs": int(time.time() * 1000), "message": data.decode("utf-8", "replace")}), flush=True)
