from portal.settings.test import *  # noqa
MIDDLEWARE = [m for m in MIDDLEWARE if m != "accounts.middleware.SecondFactorMiddleware"]  # noqa
