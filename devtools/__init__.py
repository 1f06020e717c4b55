"""Development tools: stand-ins for the outside systems the portal talks to.

Installed by the development and test settings only (``portal.settings.dev`` and
``portal.settings.test``); production settings never install it. Nothing in the portal's
own apps imports from here.

- ``devtools.casesystem``: the reference case system (Open311 and a signed webhook),
  run by ``manage.py run_case_system``; ``manage.py case_system_update`` moves a case on.
- ``devtools.smtp_sink``: a local SMTP sink that stores the mail the portal sends (viewed
  and steered over HTTP) and can fail on purpose (451, dropped connections, slow answers,
  550 recipients), run by ``manage.py run_smtp_sink``.
"""
