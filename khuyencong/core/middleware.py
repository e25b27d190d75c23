class VietnameseFirstMiddleware:
    """The UI is Vietnamese first: a browser's Accept-Language does not switch it to English.

    English is chosen explicitly with the language switch (a cookie), which LocaleMiddleware honours.
    Placed before django.middleware.locale.LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
