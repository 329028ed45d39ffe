app_name = "couples"
urlpatterns: list[object] = []
