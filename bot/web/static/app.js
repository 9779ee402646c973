// The Mini App's first page. Telegram opens it as /app#tgWebAppData=<initData>&…; the
// fragment never reaches a server, so this posts initData to /app/board, which checks its
// signature and answers with the board. No telegram-web-app.js: nothing comes from a CDN.
"use strict";
(function () {
  var data = new URLSearchParams(window.location.hash.slice(1)).get("tgWebAppData");
  var loading = document.getElementById("loading");
  if (!data) {
    // Opened in a browser, not from Telegram.
    loading.hidden = true;
    document.getElementById("outside").hidden = false;
    return;
  }
  var form = document.getElementById("start");
  form.elements.init_data.value = data;
  // The address keeps no credential once the data is on its way.
  window.history.replaceState(null, "", window.location.pathname);
  form.submit();
})();
