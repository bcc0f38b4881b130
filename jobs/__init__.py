"""Durable jobs: long work (letter runs, scan reading, exports) as rows in Deltaker's database.

A job's whole state (arguments, progress, result, error, who runs it and when it
last showed a sign of life) is a row of the ``jobs`` table, so it survives any
crash and every web or worker process sees the same thing. The queue (Huey,
:mod:`jobs.queue`) carries only job ids: losing a queue message costs a delay,
never a job, because :func:`jobs.records.requeue_stale` puts it back.

This package sits above ``privacy`` (some job kinds are privacy runs) and below
``webapp``; see docs/jobs.md.
"""
