"""moto_server whose S3 PutObject is atomic, as S3's own is.

moto 5.2.1 checks If-None-Match / If-Match and then writes without a lock, so two concurrent conditional PUTs
can both succeed; S3 guarantees that only one does. The ingester's claims rely on S3's guarantee, so the tests
run moto with PutObject serialized. Arguments are moto_server's.
"""
import sys
import threading

from moto.s3.responses import S3Response
from moto.server import main

_lock = threading.Lock()
_put_object = S3Response.put_object


def _atomic_put_object(self):
    with _lock:
        return _put_object(self)


S3Response.put_object = _atomic_put_object

if __name__ == "__main__":
    main(sys.argv[1:])
