/* ui: in progress */
