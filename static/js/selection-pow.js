// Proof of work before a one-time code is sent (altcha v1 challenge): find the number
// whose SHA-256 with the salt is the challenge, then send it with the form. Vanilla, no
// dependency; without script the server refuses the request (the check did not pass).
(function () {
  "use strict";
  var form = document.querySelector("form[data-pow]");
  if (!form || !window.crypto || !window.crypto.subtle) return;
  var field = form.querySelector("input[name=altcha]");
  var status = form.querySelector("[data-pow-status]");
  var solving = false;

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  async function solve(challenge) {
    var encoder = new TextEncoder();
    for (var n = 0; n <= challenge.maxNumber; n++) {
      var digest = await crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n));
      if (hex(digest) === challenge.challenge) return n;
    }
    return null;
  }

  form.addEventListener("submit", async function (event) {
    if (field.value) return;
    event.preventDefault();
    if (solving) return;
    solving = true;
    try {
      var response = await fetch(form.dataset.pow, { credentials: "same-origin" });
      var challenge = await response.json();
      var number = await solve(challenge);
      if (number === null) throw new Error("unsolved");
      field.value = btoa(JSON.stringify({
        algorithm: challenge.algorithm, challenge: challenge.challenge, number: number,
        salt: challenge.salt, signature: challenge.signature
      }));
      form.submit();
    } catch (e) {
      if (status) status.classList.add("text-danger");
      solving = false;
    }
  });
})();
