"""Places: the gazetteer's cities a note can be placed in, found by name or by a point."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import page_schema
from notes import places


@extend_schema(tags=["places"])
class PlaceSearchApi(APIView):
    """Cities whose Chinese, English or pinyin name starts with `q`, or the city a point is in.

    Give a city's `id` as `place` when writing a note: the note takes its coordinates.
    """

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=80,
            help_text=_("The start of a city's name: 上海, shanghai, Shanghai, Par…"),
        )
        lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
        lng = serializers.FloatField(required=False, min_value=-180, max_value=180)

        def validate(self, data: dict) -> dict:
            if ("lat" in data) != ("lng" in data):
                raise serializers.ValidationError(_("Give both lat and lng, or neither."))
            return data

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField(help_text=_("The city's GeoNames id."))
        label = serializers.CharField(help_text=_("The city's name in the reader's language."))
        detail = serializers.CharField(help_text=_("Its other name, and its country abroad."))
        latitude = serializers.FloatField()
        longitude = serializers.FloatField()

        class Meta:
            ref_name = "Place"

    @extend_schema(
        operation_id="places_list",
        parameters=[FilterSerializer],
        responses=page_schema(OutputSerializer, name="PlacePage"),
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        if "lat" in data:
            near = places.place_near(latitude=data["lat"], longitude=data["lng"])
            choices = [near] if near else []
        else:
            choices = places.places_search(query=data.get("q", ""))
        # One short page: a list's shape, without a next page.
        return Response({"results": self.OutputSerializer(choices, many=True).data, "next": None})
