console.log('gcnn: work in progress');
