// The mall's product page: the price, compare-at price and stock above the SKU chips follow the
// chip chosen. Without this script each chip shows its own price and state, and the form works.
(function () {
  "use strict";

  function setUpBuyForm(form) {
    var price = document.querySelector("[data-sku-price]");
    var was = document.querySelector("[data-sku-was]");
    var wasAmount = document.querySelector("[data-sku-was-amount]");
    var stock = document.querySelector("[data-sku-stock]");

    function show(input) {
      if (!input) { return; }
      if (price) { price.textContent = input.getAttribute("data-price"); }
      if (was && wasAmount) {
        var amount = input.getAttribute("data-was");
        wasAmount.textContent = amount;
        was.hidden = !amount;
      }
      if (stock) { stock.textContent = input.getAttribute("data-stock"); }
    }

    form.addEventListener("change", function (event) {
      if (event.target.name === "sku") { show(event.target); }
    });
    show(form.querySelector("input[name=sku]:checked"));
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-buy-form]").forEach(setUpBuyForm);
  });
})();
