from django.http import JsonResponse

CONSTANT = {"status": "ok", "what": "a constant answer, for the load benchmark"}


def constant(request):
    return JsonResponse(CONSTANT)
