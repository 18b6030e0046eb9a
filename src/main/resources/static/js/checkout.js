// Checkout: the change due for the cash given, and the card field filled with what is
// left when another method takes part of the bill.
(function () {
  var form = document.getElementById('pay');
  if (!form) {
    return;
  }
  var due = parseFloat(form.dataset.due);
  var parse = function (value) {
    var plain = (value || '').replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
    var number = parseFloat(plain);
    return isNaN(number) ? 0 : number;
  };
  var cash = document.getElementById('pay-cash');
  var card = document.getElementById('pay-card');
  var given = document.getElementById('cash-given');
  var change = document.getElementById('change-due');
  var others = Array.prototype.slice.call(form.querySelectorAll('.pay-part')).filter(function (input) {
    return input !== card;
  });
  var update = function () {
    var rest = due - others.reduce(function (sum, input) { return sum + parse(input.value); }, 0);
    card.value = rest > 0 ? rest.toFixed(2) : '';
    var back = parse(given.value) - parse(cash.value);
    change.textContent = back > 0 ? back.toFixed(2).replace('.', ',') : '0';
  };
  others.forEach(function (input) { input.addEventListener('input', update); });
  given.addEventListener('input', update);
})();
