from accounts.access import get_actor


def actor(request):
    return {"actor": get_actor(getattr(request, "user", None))}
