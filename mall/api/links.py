"""The products a note links: read by anyone who may see the note, set by its author."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import service_errors
from mall import selectors, services
from mall.api.shapes import ProductCardSerializer
from notes import services as note_services


@extend_schema(tags=["mall"])
class NoteProductsApi(APIView):
    """A note's products in order; PUT sets them all at once (the note's author only)."""

    class InputSerializer(serializers.Serializer):
        products = serializers.ListField(
            child=serializers.IntegerField(min_value=1),
            max_length=settings.MALL_NOTE_PRODUCTS_MAX * 4,
            help_text=_("Product ids in order; a note links at most five."),
        )

        class Meta:
            ref_name = "NoteProductsInput"

    class OutputSerializer(serializers.Serializer):
        products = ProductCardSerializer(many=True)

        class Meta:
            ref_name = "NoteProducts"

    def _respond(self, request: Request, note_id: int) -> Response:
        note = note_services.note_get_for_reader(
            actor=request.user, note_id=note_id, with_media=False
        )
        products = [link.product for link in selectors.note_product_links(note=note)]
        data = self.OutputSerializer({"products": products}, context={"request": request}).data
        return Response(data)

    @extend_schema(operation_id="mall_note_products_retrieve", responses=OutputSerializer)
    def get(self, request: Request, note_id: int) -> Response:
        return self._respond(request, note_id)

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def put(self, request: Request, note_id: int) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors(field="products"):
            services.note_products_set(
                actor=request.user,
                note_id=note_id,
                product_ids=serializer.validated_data["products"],
            )
        return self._respond(request, note_id)
