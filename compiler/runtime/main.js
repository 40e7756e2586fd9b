/* main: in progress */
