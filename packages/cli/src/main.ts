console.log("kaivo");
