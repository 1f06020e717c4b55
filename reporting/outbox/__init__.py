"""The one outbox: every message that leaves the portal, delivered exactly once.

A message is one row (:class:`reporting.outbox.models.Message`), written in the same
transaction as whatever caused it (a report, a status change, a dead letter), with a key
that makes it unique per (report, recipient, message kind). Workers claim due rows one
at a time with a lease, hand them to the adapter for their channel (email, Open311, a
signed webhook), and record the answer at once. Failures back off with jitter and are
retried until delivered or dead-lettered; dead letters are shown to staff, never only
logged.

Layers, each importing only those below it::

    services     post(), retry_now(), sweep()        (what the rest of the portal calls)
    tasks        drain and wake tasks (Django's Tasks API), kick()
    drain        the loop one worker runs: claim, deliver, repeat
    delivery     one claimed message: compose (its kind), send (its adapter), record
    engine       the row's state changes: claim, delivered, failed, cancelled, sweep
    kinds        the registry of message kinds (rules as data), filled by the apps
    adapters     one per channel, behind one interface; the only code that talks out
    models       Message, Attempt, DrainSlot, CaseSystemConfig

The outbox imports no other app of the portal: the apps that send messages register
their kinds (what each message says, what happens once it is delivered or dead).
"""
