"""Server time and query count on every response, for the benchmark only.

Switched on by DJANGO_BENCHMARK=1 (see settings.py); never in production,
since the headers tell anyone how expensive a page is.
"""

import time

from django.db import connections


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started, cpu_started = time.perf_counter(), time.thread_time()
        with connections["default"].execute_wrapper(count):
            response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        # CPU time of this thread (SQLite runs in it too): unlike the wall
        # time, it does not grow when other processes share the cores.
        cpu_ms = (time.thread_time() - cpu_started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.2f}, cpu;dur={cpu_ms:.2f}"
        response["X-Query-Count"] = str(queries)
        return response
